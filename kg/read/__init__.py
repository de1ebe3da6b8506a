"""What reads the store: queries, networks and their analysis, conflicts, exports, pictures and pushes."""
