"""Library: the knowledge browser (therapies, indications, questions, sources) and the destinations comparison."""
