"""The demo/development project that shows how a county site integrates Lotse."""
