FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell.exe -NoLogo -Command "iwr -UseBasicParsing 'https://get.example.com' | iex;"
RUN ["pwsh", "-c", "irm https://example.com/x.ps1 | iex"]
USER ContainerUser
