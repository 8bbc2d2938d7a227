"""podman-compose for deploy/test/container-check.sh, with two Compose Specification features it lacks.

Debian 12's podman-compose (1.0.3):
* predates the `!reset` tag, which deploy/compose/docker-compose.cpu.yml uses to drop the GPU build arguments and
  device reservation; its YAML loader refuses the tag. Here `key: !reset ...` in a later file removes `key` from what
  the earlier files set, as `docker compose` does;
* appends a later file's `command`, `entrypoint` or `ports` list to the earlier one instead of replacing or merging
  it. Here a later file's lists under these keys replace the earlier ones (for `ports`, what `docker compose`
  does when both publish the same container port, the check's only use);
* leaves `${VAR:-}` (an empty default, docker-compose.yml's dashboard token) unsubstituted, so the dashboard would get
  the literal text as its token. Here an empty default substitutes the empty string, as `docker compose` does.
Everything else is podman-compose's own. Run with Debian's interpreter (/usr/bin/python3), which has the module.
"""
import re

import yaml

import podman_compose


class _Reset:
    """Marks a value tagged !reset until the merge removes its key."""


RESET = _Reset()
# Keys whose list a later file replaces (podman-compose would append it).
REPLACED = ("command", "entrypoint", "ports")
yaml.SafeLoader.add_constructor("!reset", lambda loader, node: RESET)
_merge_one = podman_compose.rec_merge_one


def rec_merge_one(target, source):
    """podman-compose's merge of one file into the merged model, after removing the keys the file resets."""
    rest = dict(source)
    for key, value in source.items():
        if value is RESET:
            target.pop(key, None)
            del rest[key]
        elif key in REPLACED and key in target:
            target[key] = value
            del rest[key]
    return _merge_one(target, rest)


# The same pattern as podman-compose's, except that a default may be empty ("*" where it has "+").
podman_compose.var_re = re.compile(podman_compose.var_re.pattern.replace("(?P<default>[^}]+)", "(?P<default>[^}]*)"),
                                   re.VERBOSE)
# podman-compose's merge recurses through the module's global name, so nested mappings take this one too.
podman_compose.rec_merge_one = rec_merge_one

if __name__ == "__main__":
    podman_compose.main()
