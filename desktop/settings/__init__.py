"""Settings: the coordinator's profile, the interface language, the appearance and the exchange rates."""
