"""Benchmarks of pledgekg side by side with the tools a user would pick instead (``make bench``)."""
