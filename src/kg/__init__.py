"""pledgekg: a knowledge graph of leaders, states, pledges and meetings extracted from news."""

__version__ = "0.1.0"
