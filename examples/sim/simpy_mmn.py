"""The M/M/N+M queue of BM_SimulateDay, modelled in SimPy, for comparison.

    python3 examples/sim/simpy_mmn.py --contacts 1000000

One queue, FIFO, agents enough for the load (offered erlangs × 1.1 + 5),
exponential handle times (mean 180 s) and patience (mean 300 s), one day.
Prints the contacts simulated per second of CPU time as JSON, the measure
BM_SimulateDay's contacts_per_second uses, so that the two compare alike on
a machine busy with other work.
"""
import argparse
import json
import random
import time

import simpy


def run(contacts: int, seed: int) -> dict:
    rng = random.Random(seed)
    per_hour = contacts / 24
    aht = 180.0
    patience = 300.0
    agents = int(per_hour * aht / 3600 * 1.1) + 5
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=agents)
    stats = {"offered": 0, "answered": 0, "abandoned": 0, "within_20": 0}

    def caller(env):
        stats["offered"] += 1
        arrived = env.now
        with pool.request() as req:
            result = yield req | env.timeout(rng.expovariate(1 / patience))
            if req not in result:
                stats["abandoned"] += 1
                return
            stats["answered"] += 1
            if env.now - arrived <= 20:
                stats["within_20"] += 1
            yield env.timeout(rng.expovariate(1 / aht))

    def arrivals(env):
        while env.now < 24 * 3600:
            yield env.timeout(rng.expovariate(per_hour / 3600))
            env.process(caller(env))

    env.process(arrivals(env))
    started = time.process_time()
    env.run()
    elapsed = time.process_time() - started
    stats["cpu_seconds"] = elapsed
    stats["contacts_per_second"] = stats["offered"] / elapsed
    stats["agents"] = agents
    return stats


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(run(args.contacts, args.seed)))
