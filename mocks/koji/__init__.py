"""Mock Koji hub (XML-RPC at /w/<world>/kojihub) and file tree (/w/<world>/kojifiles/)."""
