"""hrnet: the platform of a harm reduction network and the programmes of its members."""
