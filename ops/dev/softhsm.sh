#!/usr/bin/env bash
# A SoftHSM2 token for developing and testing the PKCS#11 key-encryption keys (docs/keys.md).
#
#   ops/dev/softhsm.sh init [LABEL]   installs softhsm2 from Debian's packages if missing, creates the
#                                     token LABEL (default chatvault-dev) once, and prints its settings:
#                                     CHATVAULT_TEST_PKCS11_LIBRARY, _SLOT, _PIN, _LABEL
#   ops/dev/softhsm.sh delete LABEL   removes the token
#
# Tokens live in SoftHSM's default token directory (/etc/softhsm/softhsm2.conf), so every process on
# the machine finds them without SOFTHSM2_CONF. The PINs are for development only.
set -euo pipefail

PIN="${CHATVAULT_SOFTHSM_PIN:-chatvault-user-pin}"
SO_PIN="${CHATVAULT_SOFTHSM_SO_PIN:-chatvault-so-pin}"

install() {
  if command -v softhsm2-util >/dev/null 2>&1; then
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "softhsm.sh: softhsm2 is not installed and apt-get is not available; install SoftHSM2 by hand" >&2
    exit 3
  fi
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  $sudo apt-get install -y softhsm2 >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y softhsm2 >&2; }
}

library() {
  for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so; do
    if [ -f "$candidate" ]; then echo "$candidate"; return; fi
  done
  echo "softhsm.sh: libsofthsm2.so not found" >&2
  exit 3
}

slot_of() {
  # "Slot 123456" followed (a few lines later) by "Label: <label>"
  softhsm2-util --show-slots | awk -v label="$1" '
    /^Slot [0-9]+/ { slot = $2 }
    /Label:/ { sub(/^[ \t]*Label:[ \t]*/, ""); sub(/[ \t]+$/, ""); if ($0 == label) { print slot; exit } }'
}

case "${1:-}" in
  init)
    label="${2:-chatvault-dev}"
    install
    mkdir -p /var/lib/softhsm/tokens 2>/dev/null || true
    # One process creates the token; others started at once wait for it.
    exec 9>"/tmp/chatvault-softhsm-${label}.lock"
    flock 9
    slot="$(slot_of "$label")"
    if [ -z "$slot" ]; then
      softhsm2-util --init-token --free --label "$label" --pin "$PIN" --so-pin "$SO_PIN" >&2
      slot="$(slot_of "$label")"
    fi
    echo "CHATVAULT_TEST_PKCS11_LIBRARY=$(library)"
    echo "CHATVAULT_TEST_PKCS11_SLOT=$slot"
    echo "CHATVAULT_TEST_PKCS11_PIN=$PIN"
    echo "CHATVAULT_TEST_PKCS11_LABEL=$label"
    ;;
  delete)
    softhsm2-util --delete-token --token "${2:?label}" >&2
    ;;
  *)
    echo "usage: $0 init [LABEL] | delete LABEL" >&2
    exit 2
    ;;
esac
