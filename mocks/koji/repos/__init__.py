"""Koji's repositories: a tag's latest builds (with inheritance) as yum metadata, per arch."""
