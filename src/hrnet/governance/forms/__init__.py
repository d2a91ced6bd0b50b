"""The forms of governance: elections (`elections`) and general assemblies (`assemblies`)."""
