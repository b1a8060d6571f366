"""Language profiles kept as data: one TOML file a language, loaded by converter.profile."""
