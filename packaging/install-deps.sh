#!/usr/bin/env bash
# Installs every Debian 12 package KBatch needs to build, run and test. Idempotent: installs only what is missing,
# and runs apt-get update only when something is. Uses sudo when not run as root.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libgl1-mesa-dev libxkbcommon-dev qtkeychain-qt6-dev nlohmann-json3-dev
  # build: the bundled librdkafka (cmake/BundledRdkafka.cmake), fetched with `apt-get source` (dpkg-source from
  # dpkg-dev, below) and built static against these; Debian 12's own librdkafka-dev (2.0.2) is too old for Kafka 4
  libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev debian-archive-keyring
  # build: Schema Registry payloads (avro-c: schemas and the Avro binary encoding; libprotobuf and libprotoc: .proto
  # files parsed at run time, dynamic messages, the Protobuf JSON mapping; core/schema)
  libavro-dev libprotobuf-dev libprotoc-dev
  # build: JSON Schema validation (valijson, header-only, over nlohmann-json; core/schema/JsonSchemaCodec)
  libvalijson-dev
  # run: QtKeychain loads libsecret at run time; offscreen/xcb platform plugins; SVG icons
  libsecret-1-0 qt6-qpa-plugins libqt6svg6 fonts-dejavu-core fonts-wqy-microhei
  # test: kcat reads back what we publish; a real Secret Service; schema checks; screenshots
  kcat gnome-keyring libsecret-tools libglib2.0-bin dbus dbus-x11 python3 python3-jsonschema xvfb xauth
  # test: a real Apache Kafka broker (jars from Maven Central) for TLS, SASL, ACLs and transactions
  openjdk-17-jre-headless maven openssl
  # test: a real Schema Registry (Apicurio, built from Maven Central jars) polled with curl; confluent-kafka's
  # deserializers in a venv (never the system Python) as the independent reader; protoc for their Protobuf classes
  curl python3-venv protobuf-compiler
  # test: libFuzzer (clang's runtime) for the parsers; the house style's format and lint checks (tools/clang-tidy.sh)
  clang libclang-rt-14-dev clang-format clang-tidy
  # bench: peak RSS of each process (/usr/bin/time -v) and the results chart (bench/compare/run)
  time python3-matplotlib
  # package: dpkg-shlibdeps (and file) compute the .deb's Depends; the install test validates the desktop entry,
  # AppStream metadata, man pages and MIME type and looks for the window under Xvfb (xwininfo, xprop); rsvg-convert
  # renders the icons (packaging/render-icons.sh); lupdate (update_translations) is in qt6-l10n-tools above
  dpkg-dev file desktop-file-utils appstream man-db shared-mime-info librsvg2-bin x11-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
