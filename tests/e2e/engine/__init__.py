"""End-to-end tests of the program and the engine alone: no Docker, no cluster."""
