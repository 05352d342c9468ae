#!/usr/bin/env bash
# PodStatus.Testing as a user gets it: both packages packed into a local feed, then samples/FirstTest (the README's
# example) built and run in a folder of its own, outside this repository's build settings, with only the feed added.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A version of its own, so the packages restored are these, not ones an earlier run left in the NuGet cache.
version="0.1.0-smoke.$(date +%s)"
dotnet pack src/PodStatus.Api -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
dotnet pack src/PodStatus.Testing -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
cp samples/FirstTest/FirstTest.csproj samples/FirstTest/PodTests.cs "$work/"
cat > "$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="podstatus" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG
dotnet test "$work/FirstTest.csproj" -p:PodStatusTestingVersion="$version" --nologo
