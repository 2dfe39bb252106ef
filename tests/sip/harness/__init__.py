"""Helpers that run hotline-sip and SIPp on 127.0.0.1 for the SIP host's tests."""
