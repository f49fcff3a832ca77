"""autoqa's errors: the CLI turns them into a message and an exit code."""


class AutoQAError(Exception):
    exit_code = 1


class ConfigError(AutoQAError):
    exit_code = 2


class ServiceError(AutoQAError):
    """Koji, Bodhi or ResultsDB failed after every retry."""


class ItemNotFound(AutoQAError):
    exit_code = 2
