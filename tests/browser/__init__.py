"""Real-browser tests: Playwright drives Debian's headless Chromium against a live server."""
