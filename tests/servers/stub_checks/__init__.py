# SPDX-License-Identifier: Apache-2.0
"""The provider stub smoke test's cases, one module per stub; test_provider_stubs.py runs them."""
