"""The domain of CarePlan Desk, in pure Python: no Qt, no ReportLab, no sqlite."""
