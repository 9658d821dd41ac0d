<#
.SYNOPSIS
  Installs fabstir-host, the command-line tool that runs a host on the Fabstir network, on Windows.

.DESCRIPTION
  Downloads the Windows build and SHA256SUMS, checks the checksum (and the signature when one is published and
  minisign or gpg is installed), moves the binary into place and writes a small install receipt that
  `fabstir-host self-update` reads. Configuration and keys are never touched, not even by -Uninstall.

  Environment: FABSTIR_VERSION, FABSTIR_INSTALL_BASE, FABSTIR_INSTALL_LAYOUT, FABSTIR_INSTALL_DIR,
  FABSTIR_MINISIGN_PUBKEY, FABSTIR_RECEIPT_DIR (the same names install.sh reads).

.EXAMPLE
  irm https://github.com/fabstir/fabstir-host/releases/latest/download/install.ps1 | iex

.EXAMPLE
  & ([scriptblock]::Create((irm https://github.com/fabstir/fabstir-host/releases/latest/download/install.ps1))) -Version 1.2.3
#>
param(
  [string]$Version = $(if ($env:FABSTIR_VERSION) { $env:FABSTIR_VERSION } else { 'latest' }),
  [string]$BaseUrl = $(if ($env:FABSTIR_INSTALL_BASE) { $env:FABSTIR_INSTALL_BASE } else { 'https://github.com/fabstir/fabstir-host/releases' }),
  [ValidateSet('github', 'flat')]
  [string]$Layout = $(if ($env:FABSTIR_INSTALL_LAYOUT) { $env:FABSTIR_INSTALL_LAYOUT } else { 'github' }),
  [string]$Prefix = $env:FABSTIR_INSTALL_DIR,
  [switch]$Uninstall,
  [switch]$Help
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Invoke-WebRequest draws its progress bar so slowly on Windows PowerShell 5.1 that large downloads crawl.
$ProgressPreference = 'SilentlyContinue'
# Windows PowerShell 5.1 may still default to TLS 1.0, which GitHub refuses.
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

# minisign public key of the release signer; the release workflow stamps it into the published copy of this script.
$DefaultMinisignPubkey = ''
$BinName = 'fabstir-host'
$Asset = 'fabstir-host-windows-x64.exe'

# The script is often run through `irm | iex`, where `exit` would close the user's window: every failure throws.
function Stop-Install([string]$Message) { throw "error: $Message" }

function Show-Usage {
  Write-Host @'
Install fabstir-host.

Usage: install.ps1 [-Version X.Y.Z] [-BaseUrl URL] [-Layout github|flat] [-Prefix DIR] [-Uninstall] [-Help]

  -Version    install this version (default: latest; env FABSTIR_VERSION)
  -BaseUrl    where releases are downloaded from (env FABSTIR_INSTALL_BASE)
  -Layout     github: URL/download/vX.Y.Z/FILE (default); flat: URL/vX.Y.Z/FILE, for mirrors
  -Prefix     directory the binary goes into (env FABSTIR_INSTALL_DIR; default: your
              LOCALAPPDATA\Programs\fabstir-host\bin, or Program Files as administrator)
  -Uninstall  remove the binary this script installed, and its install receipt

Configuration and keys are never touched, not even by -Uninstall.
'@
}

function Test-IsAdmin {
  $principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
  return $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Get-Sha256([string]$Path) { return (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash.ToLowerInvariant() }

function Get-AssetUrl([string]$File) {
  if ($Version -eq 'latest') {
    if ($Layout -eq 'github') { return "$BaseUrl/latest/download/$File" }
    return "$BaseUrl/latest/$File"
  }
  if ($Layout -eq 'github') { return "$BaseUrl/download/v$Version/$File" }
  return "$BaseUrl/v$Version/$File"
}

function Save-Url([string]$Url, [string]$Destination) {
  Invoke-WebRequest -Uri $Url -OutFile $Destination -UseBasicParsing
}

function Save-Optional([string]$Url, [string]$Destination) {
  try { Save-Url $Url $Destination; return ((Get-Item -LiteralPath $Destination).Length -gt 0) }
  catch { Remove-Item -LiteralPath $Destination -Force -ErrorAction SilentlyContinue; return $false }
}

function Read-Receipt([string]$Path) {
  $fields = @{}
  foreach ($line in Get-Content -LiteralPath $Path) {
    $at = $line.IndexOf('=')
    if (-not $line.StartsWith('#') -and $at -gt 0) { $fields[$line.Substring(0, $at)] = $line.Substring($at + 1) }
  }
  return $fields
}

function Write-Receipt([string]$Path, [string]$InstalledVersion, [string]$Commit, [string]$Target, [string]$Sha256) {
  $lines = @(
    '# Written by install.ps1; read by `fabstir-host self-update` and `install.ps1 -Uninstall`.',
    'channel=script', "version=$InstalledVersion", "commit=$Commit", "asset=$Asset", "path=$Target",
    "sha256=$Sha256", "base_url=$BaseUrl", "layout=$Layout", ('installed_at=' + (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ'))
  )
  New-Item -ItemType Directory -Force -Path (Split-Path -Parent $Path) | Out-Null
  [IO.File]::WriteAllText($Path, (($lines -join "`n") + "`n"), (New-Object Text.UTF8Encoding $false))
}

# Windows PowerShell 5.1 turns a native command's stderr into error records, which 'Stop' would make fatal.
function Invoke-Native([scriptblock]$Command) {
  $ErrorActionPreference = 'Continue'
  & $Command 2>$null
}

function Get-VersionLine([string]$Exe) {
  try { $output = @(Invoke-Native { & $Exe --version }) } catch { return $null }
  if ($LASTEXITCODE -ne 0 -or $output.Count -eq 0) { return $null }
  $line = [string]$output[0]
  if ($line -match '^fabstir-host (\S+) \((\S+)\)') { return @{ Version = $Matches[1]; Commit = $Matches[2] } }
  return $null
}

function Test-Signature([string]$Sums, [string]$WorkDir, [string]$Pubkey) {
  $sig = Join-Path $WorkDir 'SHA256SUMS.sig'
  # A configured key means the signature is required: a missing .sig, a .asc in its place or no minisign never falls
  # back to the checksum alone (whoever can swap the binary and SHA256SUMS can also delete the signature).
  if ($Pubkey) {
    if (-not (Save-Optional (Get-AssetUrl 'SHA256SUMS.sig') $sig)) { Stop-Install "no SHA256SUMS.sig is published for $Version, and this installer verifies releases with a minisign key: refusing to install (the signature may have been stripped)" }
    if (-not (Get-Command minisign -ErrorAction SilentlyContinue)) { Stop-Install 'this installer verifies releases with a minisign key, and minisign is not installed: install minisign (winget install jedisct1.minisign) and run again' }
    Invoke-Native { & minisign -Vq -P $Pubkey -m $Sums -x $sig } | Out-Null
    if ($LASTEXITCODE -ne 0) { Stop-Install 'the minisign signature of SHA256SUMS does not verify (changed after signing, or signed by another key): refusing to install' }
    Write-Host 'Signature verified (minisign).'
    return
  }
  if (Save-Optional (Get-AssetUrl 'SHA256SUMS.sig') $sig) {
    if (-not (Get-Command minisign -ErrorAction SilentlyContinue)) {
      Write-Host 'SHA256SUMS.sig is published but minisign is not installed: skipping the signature check (the checksum is still verified).'
    } else {
      Write-Host 'SHA256SUMS.sig is published but no minisign public key is configured (FABSTIR_MINISIGN_PUBKEY): skipping the signature check.'
    }
  }
  $asc = Join-Path $WorkDir 'SHA256SUMS.asc'
  if (Save-Optional (Get-AssetUrl 'SHA256SUMS.asc') $asc) {
    if (-not (Get-Command gpg -ErrorAction SilentlyContinue)) {
      Write-Host 'SHA256SUMS.asc is published but gpg is not installed: skipping the signature check (the checksum is still verified).'
      return
    }
    $status = (Invoke-Native { & gpg --batch --status-fd 1 --verify $asc $Sums }) -join "`n"
    if ($status -match 'BADSIG ') { Stop-Install 'the gpg signature of SHA256SUMS does not verify: refusing to install' }
    elseif ($status -match 'GOODSIG ') { Write-Host 'Signature verified (gpg).' }
    elseif ($status -match 'NO_PUBKEY') { Write-Host 'SHA256SUMS.asc is signed by a key that is not in your gpg keyring: import the Fabstir release key to check it. Continuing with the checksum.' }
    else { Stop-Install 'gpg could not check SHA256SUMS.asc: refusing to install' }
    return
  }
  if (-not (Test-Path -LiteralPath $sig)) { Write-Host 'No signature is published for this release: relying on the SHA-256 checksum.' }
}

function Show-PathHint([string]$Dir) {
  $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
  $entries = @(($env:Path + ';' + $userPath) -split ';' | ForEach-Object { $_.TrimEnd('\') })
  if ($entries -contains $Dir.TrimEnd('\')) { return }
  Write-Host ''
  Write-Host "$Dir is not in your PATH. Add it for your user with this line, then open a new terminal:"
  Write-Host "  [Environment]::SetEnvironmentVariable('Path', '$Dir;' + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
}

function Invoke-Uninstall([string]$Receipt) {
  if (-not (Test-Path -LiteralPath $Receipt)) {
    Write-Host "No install receipt at ${Receipt}: this script installed nothing here, so there is nothing to remove."
    return
  }
  $fields = Read-Receipt $Receipt
  $path = $fields['path']
  if ($path -and (Test-Path -LiteralPath $path)) {
    if ((Get-Sha256 $path) -ne $fields['sha256']) {
      Stop-Install "$path changed since this script installed it; it was left in place (remove it yourself, then run -Uninstall again)"
    }
    Remove-Item -LiteralPath $path -Force
    Write-Host "Removed $path."
  } else {
    Write-Host 'The binary is already gone.'
  }
  Remove-Item -LiteralPath $Receipt -Force
  Write-Host 'Configuration and keys were left in place.'
}

function Install-FabstirHost {
  if ($Help) { Show-Usage; return }
  $script:Version = $Version.TrimStart('v')
  if ($Version -ne 'latest' -and $Version -notmatch '^[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*$') { Stop-Install "not a version: $Version (expected X.Y.Z)" }
  $script:BaseUrl = $BaseUrl.TrimEnd('/')

  $admin = Test-IsAdmin
  if (-not $Prefix) {
    if ($admin) { $Prefix = Join-Path $env:ProgramFiles 'fabstir-host\bin' } else { $Prefix = Join-Path $env:LOCALAPPDATA 'Programs\fabstir-host\bin' }
  }
  $receiptDir = $env:FABSTIR_RECEIPT_DIR
  if (-not $receiptDir) {
    if ($admin) { $receiptDir = Join-Path $env:ProgramData 'fabstir-host' } else { $receiptDir = Join-Path $env:LOCALAPPDATA 'fabstir-host' }
  }
  $receipt = Join-Path $receiptDir 'install-receipt'
  if ($Uninstall) { Invoke-Uninstall $receipt; return }

  $arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
  switch ($arch) {
    'AMD64' { }
    'ARM64' { Write-Host 'Windows on Arm: installing the x64 build, which runs under emulation.' }
    default { Stop-Install "unsupported architecture: $arch (fabstir-host for Windows is built for x64)" }
  }
  if ($BaseUrl -notmatch '^https://' -and $BaseUrl -notmatch '^http://(127\.0\.0\.1|localhost)[:/]') {
    Write-Warning "$BaseUrl is not https: the checksum only guards against corruption, not tampering"
  }

  $work = Join-Path ([IO.Path]::GetTempPath()) ("fabstir-host-" + [Guid]::NewGuid().ToString('N'))
  New-Item -ItemType Directory -Path $work | Out-Null
  $temporary = $null
  try {
    $sums = Join-Path $work 'SHA256SUMS'
    Write-Host "Fetching the checksums of fabstir-host $Version from $BaseUrl"
    try { Save-Url (Get-AssetUrl 'SHA256SUMS') $sums } catch { Stop-Install "could not download $(Get-AssetUrl 'SHA256SUMS') (is version $Version published?)" }
    $pubkey = if ($env:FABSTIR_MINISIGN_PUBKEY) { $env:FABSTIR_MINISIGN_PUBKEY } else { $DefaultMinisignPubkey }
    Test-Signature $sums $work $pubkey

    $expected = $null
    foreach ($line in Get-Content -LiteralPath $sums) {
      $parts = $line.Trim() -split '\s+'
      if ($parts.Count -ge 2 -and $parts[1].TrimStart('*') -eq $Asset) { $expected = $parts[0].ToLowerInvariant(); break }
    }
    if (-not $expected) { Stop-Install "release $Version has no build for windows-x64" }

    $target = Join-Path $Prefix "$BinName.exe"
    if ((Test-Path -LiteralPath $target) -and ((Get-Sha256 $target) -eq $expected)) {
      $current = Get-VersionLine $target
      $shown = if ($current) { $current.Version } else { $Version }
      Write-Host "fabstir-host $shown is already up to date ($target): nothing to do."
      if (-not (Test-Path -LiteralPath $receipt) -and $current) { Write-Receipt $receipt $current.Version $current.Commit $target $expected }
      Show-PathHint $Prefix
      return
    }

    New-Item -ItemType Directory -Force -Path $Prefix | Out-Null
    # Downloaded next to the target so the final move is a rename on the same volume.
    $temporary = Join-Path $Prefix ".$BinName.download.$PID.exe"
    Write-Host "Downloading $Asset"
    try { Save-Url (Get-AssetUrl $Asset) $temporary } catch { Stop-Install "could not download $(Get-AssetUrl $Asset)" }
    $actual = Get-Sha256 $temporary
    if ($actual -ne $expected) {
      Remove-Item -LiteralPath $temporary -Force
      Stop-Install "checksum mismatch for $Asset (expected $expected, got $actual): the download was deleted and nothing was installed"
    }
    Write-Host 'Checksum verified.'
    $new = Get-VersionLine $temporary
    if (-not $new) {
      Write-Warning 'the downloaded binary did not run on this machine (fabstir-host --version failed); installing it anyway'
      $new = @{ Version = $Version; Commit = '' }
    }
    # A running exe cannot be overwritten but can be renamed: move the old one aside first.
    $previous = "$target.old"
    if (Test-Path -LiteralPath $target) { Move-Item -LiteralPath $target -Destination $previous -Force }
    Move-Item -LiteralPath $temporary -Destination $target
    $temporary = $null
    Remove-Item -LiteralPath $previous -Force -ErrorAction SilentlyContinue
    try { Write-Receipt $receipt $new.Version $new.Commit $target $expected } catch { Write-Warning "could not write the install receipt $receipt" }
    Write-Host "Installed fabstir-host $($new.Version) to $target"
    Show-PathHint $Prefix
    Write-Host ''
    Write-Host 'Next: fabstir-host init   (then fabstir-host doctor to check this machine)'
  } finally {
    if ($temporary) { Remove-Item -LiteralPath $temporary -Force -ErrorAction SilentlyContinue }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
  }
}

Install-FabstirHost
