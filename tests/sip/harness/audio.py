"""Prompt WAVs the flows name, written as tones (8 kHz, 16-bit, mono) into a test's folder."""
import math
import struct
import wave
from pathlib import Path


def write_tone(path: Path, seconds: float, hertz: float = 440.0, rate: int = 8000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = int(seconds * rate)
    samples = (int(8000 * math.sin(2 * math.pi * hertz * i / rate)) for i in range(frames))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


def bank_prompts(audio_root: Path) -> None:
    """The recorded prompts of examples/flows/bank.json (the host renders its tts ones)."""
    write_tone(audio_root / "audio" / "welcome.wav", 0.3, 660.0)
    write_tone(audio_root / "audio" / "hold-music.wav", 2.0, 392.0)
    write_tone(audio_root / "audio" / "vip-hold.wav", 2.0, 523.0)
    write_tone(audio_root / "audio" / "beep.wav", 0.2, 1000.0)
