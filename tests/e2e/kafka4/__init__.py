"""Kafka 4.x: the image, a secured KRaft node of it, and Kafka's 4.x tools through the tool runner."""
