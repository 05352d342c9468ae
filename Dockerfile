# syntax=docker/dockerfile:1
# Build: docker build -t podstatus .    Run: docker run -p 8080:8080 podstatus
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project and build files only, so the layer is cached until they change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/PodStatus.Api/PodStatus.Api.csproj src/PodStatus.Api/
RUN dotnet restore src/PodStatus.Api/PodStatus.Api.csproj

COPY samples/ samples/
COPY src/ src/
RUN dotnet publish src/PodStatus.Api/PodStatus.Api.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The aspnet image listens on 8080 and defines the non-root "app" user ($APP_UID).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "PodStatus.Api.dll"]
