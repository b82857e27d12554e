"""Validation of the component's arguments, before anything is registered.

- :mod:`.fields`: the rules each value must keep, and the constants real systems fix;
- :mod:`.models`: :class:`Settings`, the validated arguments and what derives from them;
- :mod:`.adoption`: :class:`Adopt`, the import map of a setup made by hand;
- :mod:`.advice`: warnings about valid values that are probably not what was meant;
- :mod:`.errors`: the vocabulary of problems, :class:`ConfigError`, :func:`got`;
- :mod:`.resolution`: raw arguments, some of them Outputs, to :class:`Resolved`.
"""

from .adoption import Adopt
from .errors import MASK, ConfigError, Problem, got, snake, suggestion, unknown_argument
from .fields import (
    CALLBACK_PATH,
    CLIENT_ID_MAX,
    CONFIG_AUTH_ID,
    LOGIN_PATH,
    MANAGED_MAPPING_PREFIX,
    MANAGED_SCOPES,
    PROJECT_MAX,
    ROLES,
    SLUG_MAX,
    group_filter_matches,
)
from .models import ARGUMENTS, PLAIN_FIELDS, SECRET_FIELDS, ScopeMapping, Settings
from .resolution import (
    Resolved,
    check_client_secret,
    client_secret_input,
    resolve,
    stand_in,
    validate,
)

__all__ = [
    "ARGUMENTS",
    "CALLBACK_PATH",
    "CLIENT_ID_MAX",
    "CONFIG_AUTH_ID",
    "LOGIN_PATH",
    "MANAGED_MAPPING_PREFIX",
    "MANAGED_SCOPES",
    "MASK",
    "PLAIN_FIELDS",
    "PROJECT_MAX",
    "ROLES",
    "SECRET_FIELDS",
    "SLUG_MAX",
    "Adopt",
    "ConfigError",
    "Problem",
    "Resolved",
    "ScopeMapping",
    "Settings",
    "check_client_secret",
    "client_secret_input",
    "got",
    "group_filter_matches",
    "resolve",
    "snake",
    "stand_in",
    "suggestion",
    "unknown_argument",
    "validate",
]
