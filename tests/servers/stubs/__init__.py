# SPDX-License-Identifier: Apache-2.0
"""The loopback provider stubs, one module per provider; provider_stubs.py starts them
(tests/servers/README.md, "Provider stubs")."""


