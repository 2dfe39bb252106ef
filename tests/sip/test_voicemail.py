"""Out of hours nobody answers: the caller's message is recorded and a ticket names it."""
import sqlite3
import wave
from pathlib import Path

import pytest

from harness.lab import Lab


def leave_voicemail(lab: Lab) -> tuple[Path, dict]:
    """A caller out of hours leaves a message; returns its recording and its ticket's row."""
    lab.center.open_now = False
    lab.add_phone("a01")
    host = lab.start_host()
    caller = lab.caller("caller_voicemail.xml", caller="5550142")
    outcome = caller.wait()
    assert outcome.exit_code == 0 and outcome.successful == 1, outcome.describe()

    recordings = host.wait_for("a recording", lambda: sorted(lab.center.recordings.rglob("*.wav")))
    assert len(recordings) == 1, recordings

    def tickets() -> list[dict]:
        if not lab.center.store_file.exists():
            return []
        with sqlite3.connect(lab.center.store_file) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM tickets")]

    rows = host.wait_for("the voicemail's ticket", tickets)
    assert len(rows) == 1, rows
    return recordings[0], rows[0]


@pytest.fixture(scope="module")
def voicemail(tmp_path_factory: pytest.TempPathFactory):
    """One voicemail call serves every test of this module."""
    lab = Lab(tmp_path_factory.mktemp("voicemail"))
    try:
        yield leave_voicemail(lab)
    finally:
        lab.close()


def test_out_of_hours_caller_leaves_a_voicemail_with_a_ticket(voicemail) -> None:
    recording, ticket = voicemail
    with wave.open(str(recording)) as audio:
        assert audio.getframerate() == 8000
        # The caller spoke for 7 s after the beep; allow for the prompts' timing.
        assert audio.getnframes() >= 8000 * 2, audio.getnframes()
        samples = audio.readframes(audio.getnframes())
    assert any(samples), "the recording is silence"
    assert "5550142" in ticket["subject"], ticket
    assert ticket["category"] == "consultation", ticket


def test_voicemail_ticket_names_its_recording(voicemail) -> None:
    recording, ticket = voicemail
    text = " ".join(str(value) for value in ticket.values())
    assert recording.name in text, ticket
