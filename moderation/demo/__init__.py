"""Demo data: a believable community, written through the real services.

catalogue.py and texts.py are the data (devices, boards, the cast, the English
and Chinese texts); compose.py turns texts into posts; builder.py writes 90
days of history through the services under clock.py's simulated time. The
command is moderation/management/commands/load_demo.py.
"""
