# syntax=docker/dockerfile:1
# Build: docker build -t podstatus .    Run: docker run -p 8080:8080 podstatus
# On etcd: docker run -p 8080:8080 -e Storage__Backend=Etcd -e Storage__Etcd__Endpoints=http://etcd:2379 podstatus
# With tokens, a policy and TLS (files in a read-only mount): see the README's Docker section.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src

# Restore from the project and build files only, so this layer stays cached until they change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/PodStatus.Api/PodStatus.Api.csproj src/PodStatus.Api/
RUN dotnet restore src/PodStatus.Api/PodStatus.Api.csproj -a $TARGETARCH -p:PublishReadyToRun=true

COPY samples/ samples/
COPY src/ src/
# ReadyToRun: precompiled code, so the server answers sooner after start.
RUN dotnet publish src/PodStatus.Api/PodStatus.Api.csproj -c Release -a $TARGETARCH --self-contained false \
    -p:PublishReadyToRun=true --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The aspnet image defines the non-root "app" user ($APP_UID); PodStatus listens on 8080 (HTTPS, when
# configured through Kestrel__Endpoints__Https__*, on the port its URL names, such as 8443).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080 8443
# Orchestrators probe /livez and /readyz (which fails while etcd cannot be reached).
USER $APP_UID
ENTRYPOINT ["dotnet", "PodStatus.Api.dll"]
