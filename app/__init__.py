"""GateLab's desktop application (Qt). The engine is ``nn_core``."""
