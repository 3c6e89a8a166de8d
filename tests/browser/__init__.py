"""Browser tests (marker ``browser``): JupyterLab in headless Chromium, see conftest.py."""
