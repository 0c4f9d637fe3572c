"""Operating a node: backups, restores, schema checks and the doctor."""
