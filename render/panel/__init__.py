"""The panel: what is drawn at screen resolution beside and under the world — the dashboard,
its KPI strip and ticker, the operator's desk and its widgets, the timeline, the tooltip.

The panel never imports the world: what it shows of the world comes from the snapshot.
"""
