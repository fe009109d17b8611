"""The public record: draw results, pool statistics, feeds, summaries and charts."""
