"""Link the data to external datasets: reconciliation, linksets, reference graphs."""
