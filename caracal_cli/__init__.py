"""Operator CLI for the Caracal Kafka platform: list and describe topics and schema registry subjects."""
