"""End-to-end tests of the built site in a real browser (Debian's Chromium)."""
