"""Out of hours nobody answers: the caller's message is recorded and a ticket names it."""
import sqlite3
import wave

from harness.lab import Lab


def test_out_of_hours_caller_leaves_a_voicemail_with_a_ticket(lab: Lab) -> None:
    lab.center.open_now = False
    lab.add_phone("a01")
    host = lab.start_host()
    caller = lab.caller("caller_voicemail.xml", caller="5550142")
    outcome = caller.wait()
    assert outcome.exit_code == 0 and outcome.successful == 1, outcome.describe()

    recordings = host.wait_for("a recording", lambda: sorted(lab.center.recordings.rglob("*.wav")))
    assert len(recordings) == 1, recordings
    with wave.open(str(recordings[0])) as recording:
        assert recording.getframerate() == 8000
        # The caller spoke for 7 s after the beep; allow for the prompt's timing.
        assert recording.getnframes() >= 8000 * 2, recording.getnframes()

    def tickets() -> list[dict]:
        if not lab.center.store_file.exists():
            return []
        with sqlite3.connect(lab.center.store_file) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM tickets")]

    rows = host.wait_for("the voicemail's ticket", tickets)
    assert len(rows) == 1, rows
    text = " ".join(str(value) for value in rows[0].values())
    assert recordings[0].name in text, rows[0]
    assert "5550142" in rows[0]["subject"], rows[0]
    assert rows[0]["category"] == "consultation", rows[0]
