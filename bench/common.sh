# Sourced by the bench scripts, from the repository root: where results go, the tools they need, publishing, and
# starting PodStatus as shipped.
OUT=bench/results
mkdir -p "$OUT"

need() { # command [Debian package]: installs the package when the command is missing
  command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${2:-$1}"; }
}

publish_podstatus() { # [source folder] [output folder]: published as the Dockerfile does (ReadyToRun unless READY_TO_RUN=false)
  dotnet publish "${1:-.}/src/PodStatus.Api" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun="${READY_TO_RUN:-true}" -o "${2:-$OUT/podstatus}" --nologo -v quiet
}

publish_against() { # publishes revision $AGAINST, the build a change is compared with, to $OUT/podstatus-against
  rm -rf "$OUT/against-src" "$OUT/podstatus-against"
  git worktree add -f --detach "$OUT/against-src" "$AGAINST" -q
  publish_podstatus "$OUT/against-src" "$OUT/podstatus-against"
}

publish_native() { # the working tree compiled ahead of time (Native AOT) to $OUT/podstatus-native
  scripts/publish-native.sh "$OUT/podstatus-native" >/dev/null
}

remove_against() { # the worktree publish_against made, if any
  [ -z "${AGAINST:-}" ] || git worktree remove --force "$OUT/against-src" 2>/dev/null || true
}

publish_tool() { # bench project, output folder under $OUT
  dotnet publish "bench/$1" -c Release -o "$OUT/$2" --nologo -v quiet
}

start_podstatus() { # port log [arguments...]: starts the published PodStatus (or PODSTATUS_DLL) and sets pid;
  # returns at its first answer, or exits with its log if it stops before
  local port=$1 log=$2
  shift 2
  ASPNETCORE_URLS=http://127.0.0.1:$port Logging__LogLevel__Default=Warning dotnet "${PODSTATUS_DLL:-$OUT/podstatus/PodStatus.Api.dll}" "$@" >"$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/version"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.05
  done
}
