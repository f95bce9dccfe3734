# SPDX-License-Identifier: Apache-2.0
"""The loopback provider stubs, one module per provider; provider_stubs.py starts them (tests/servers/README.md,
"Provider stubs"). Only provider_stubs.py imports them: it puts tests/servers on sys.path first, where
fault_server, loopback_http and request_stats come from."""
