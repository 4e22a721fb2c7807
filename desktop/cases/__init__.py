"""Cases: the case list, the case editor and its form fields, and the screening and estimate panels of a case."""
