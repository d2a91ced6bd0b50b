"""Reads of events: each module takes the acting user and returns only what they may see."""
