"""Virtual machines, hypervisors and containers as small objects you can run."""
