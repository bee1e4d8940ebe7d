"""Analysis over stored reports: 汇总 (roll-up), comparisons, peer groups."""
