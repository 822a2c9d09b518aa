<#
.SYNOPSIS
  Build Một Cửa Xã for Windows: the PyInstaller folder bundle dist\motcua\, a smoke test of it, and the
  Inno Setup installer dist\MotCuaXa-Setup-<version>.exe.

.DESCRIPTION
  This file is saved as UTF-8 with a BOM on purpose: Windows PowerShell 5.1 reads a script without one as ANSI and
  would garble the Vietnamese test data below.

  Needs: Windows 10/11 x64, Python 3.11+ 64-bit with the py launcher (python.org installer), Inno Setup 6.3+
  (https://jrsoftware.org/isdl.php; a per-user install is fine). Run from any folder:

      powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1

  The smoke test runs only the bundled programs, from an empty folder, with a fresh data directory, so a
  missing module or data file fails here and not on a commune's PC.

.PARAMETER Python
  Version argument for the py launcher (default -3.11). The bundle carries this Python.
.PARAMETER Venv
  Build venv (default build\venv); created if missing, then .[ui] and PyInstaller are installed into it.
.PARAMETER VietnameseIsl
  Inno Setup's Vietnamese messages file. Inno Setup ships it only as an unofficial translation, so it is not
  installed with the compiler: by default the script looks beside this script (installer\windows\Vietnamese.isl),
  then in Inno Setup's Languages folders, then downloads it from the Inno Setup source repository.
.PARAMETER SkipInstaller
  Build and test the bundle only (no Inno Setup needed).
#>
[CmdletBinding()]
param(
    [string]$Python = "-3.11",
    [string]$Venv = "",
    [string]$VietnameseIsl = "",
    [switch]$SkipInstaller
)

# Fail loudly: stop on any PowerShell error; native programs are checked one by one by Invoke-Native, because
# $ErrorActionPreference does not look at their exit codes in Windows PowerShell 5.1.
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$ProgressPreference = "SilentlyContinue"  # Invoke-WebRequest's progress bar makes downloads crawl in 5.1

# Plain functions reading $args, not advanced ones: a param() block would try to bind "-m" or "--data-dir" as its
# own parameters instead of passing them to the program.
function Invoke-Native {
    $exe = $args[0]
    [object[]]$rest = if ($args.Count -gt 1) { $args[1..($args.Count - 1)] } else { @() }
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $($rest -join ' ') failed with exit code $LASTEXITCODE" }
}

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
Set-Location $Root
if (-not $Venv) { $Venv = Join-Path $Root "build\venv" }
$VenvPy = Join-Path $Venv "Scripts\python.exe"

# -- build venv ---------------------------------------------------------------------------------------------------
if (-not (Test-Path $VenvPy)) {
    Invoke-Native py $Python -m venv $Venv
}
# PyInstaller 6 is what the spec is written for.
Invoke-Native $VenvPy -m pip install -q --upgrade pip
Invoke-Native $VenvPy -m pip install -q -c installer/constraints.txt -e ".[ui]" "pyinstaller>=6.10,<7"
$Version = (& $VenvPy -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "could not read the version from pyproject.toml" }
# Inno Setup's file version resource wants numbers only ("0.2.0rc1" -> "0.2.0").
$NumericVersion = $Version -replace '^(\d+(\.\d+){0,3}).*$', '$1'
Write-Host "Một Cửa Xã $Version"

# -- bundle -------------------------------------------------------------------------------------------------------
Invoke-Native $VenvPy -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath (Join-Path $Root "dist") --workpath (Join-Path $Root "build\pyinstaller") installer\motcua.spec

$Bundle = Join-Path $Root "dist\motcua"
$Cli = Join-Path $Bundle "motcua.exe"
$Gui = Join-Path $Bundle "motcua-desktop.exe"
if (-not (Test-Path $Cli)) { throw "$Cli was not built" }

# -- smoke test ---------------------------------------------------------------------------------------------------
$Work = Join-Path ([IO.Path]::GetTempPath()) ("motcua-smoke-" + [Guid]::NewGuid().ToString("N"))
New-Item -ItemType Directory -Path $Work | Out-Null
$Data = Join-Path $Work "data"
# The bundle must find db\ and resources\ in itself, never in the checkout next to it.
Remove-Item Env:PYTHONPATH, Env:MOTCUA_ROOT, Env:MOTCUA_DATA_DIR -ErrorAction SilentlyContinue
$env:MOTCUA_USER = "smoke-test"
# The CLI writes UTF-8 (the bundle runs in Python's UTF-8 mode); read it as such. Hosts without a console (ISE)
# refuse the setting: the checks below compare only ASCII (JSON, codes), so a garbled display is all that is lost.
try { [Console]::OutputEncoding = [Text.UTF8Encoding]::new($false) }
catch { Write-Warning "cannot set the console to UTF-8: Vietnamese output below may look garbled" }
$OutputEncoding = [Text.UTF8Encoding]::new($false)

function Step {
    [object[]]$arguments = $args
    Write-Host "`n> motcua $($arguments -join ' ')"
    $out = & $Cli @arguments
    if ($LASTEXITCODE -ne 0) { throw "motcua $($arguments -join ' ') failed with exit code $LASTEXITCODE" }
    $out | ForEach-Object { Write-Host $_ }
    return $out
}

Push-Location $Work
try {
    Step --version | Out-Null
    Step --data-dir $Data init --commune "Xã Thử" --agency-code 000.17.22.H56 | Out-Null

    # 12 Feb 2026 + 5 working days crosses Tết Bính Ngọ: a wrong answer means the holidays package's Vietnamese
    # calendar (loaded by name at run time) or the tz database (tzdata: Windows has none) is missing.
    $due = @(Step --data-dir $Data due --received "2026-02-12 09:00" --days 5 --json)[-1]
    $expected = '{"due": "2026-02-26T09:00:00+07:00"}'
    if ($due -ne $expected) { throw "due date: got $due, expected $expected" }

    $intake = @(Step --data-dir $Data intake --procedure 1.001193 --name "Nguyễn Văn An" --id-number 066090001234 `
        --doc "Tờ khai đăng ký khai sinh:original:1" --json)[-1]
    $code = ($intake | ConvertFrom-Json).code
    if (-not $code) { throw "intake printed no dossier code" }

    # The receipt exercises reportlab, the shipped Liberation fonts (Vietnamese glyphs) and the QR code.
    $receipt = Join-Path $Work "receipt.pdf"
    Step --data-dir $Data print receipt $code -o $receipt | Out-Null
    $head = [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($receipt), 0, 5)
    if ($head -ne "%PDF-") { throw "receipt.pdf is not a PDF" }

    Step --data-dir $Data backup -o (Join-Path $Work "backup.sqlite3") | Out-Null
    Step --data-dir $Data check | Out-Null   # exit 0 only when SQLite, events, projections and attachments agree

    # The rescue path of docs\installer.md: the backup restored into another data folder holds the dossier.
    $Restored = Join-Path $Work "restored"
    New-Item -ItemType Directory -Path $Restored | Out-Null   # restore does not create the folder yet
    Step --data-dir $Restored restore (Join-Path $Work "backup.sqlite3") | Out-Null
    $listed = (Step --data-dir $Restored list) -join "`n"
    if ($listed -notmatch [regex]::Escape($code)) { throw "the restored store does not list $code" }

    if (Test-Path $Gui) {
        # A windowed program has no console: its self-test writes a report file and sets the exit code.
        Write-Host "`n> motcua-desktop self-test"
        $report = Join-Path $Work "selftest.txt"
        $env:MOTCUA_BUNDLE_SELFTEST = $report
        $env:MOTCUA_SELFTEST_PDF = $receipt
        try {
            $p = Start-Process -FilePath $Gui -Wait -PassThru
        } finally {
            Remove-Item Env:MOTCUA_BUNDLE_SELFTEST, Env:MOTCUA_SELFTEST_PDF -ErrorAction SilentlyContinue
        }
        if (Test-Path $report) { Get-Content -Encoding UTF8 $report | ForEach-Object { Write-Host $_ } }
        if ($p.ExitCode -ne 0) { throw "motcua-desktop self-test failed with exit code $($p.ExitCode)" }

        # Then start it for real (the first-run wizard opens on this screen for a few seconds): it must still be
        # running after 10 s; a crash at start ends it sooner.
        Write-Host "`n> motcua-desktop --data-dir <tmp>   (10 s)"
        $p = Start-Process -FilePath $Gui -ArgumentList @("--data-dir", "`"$(Join-Path $Work 'gui-data')`"") -PassThru
        Start-Sleep -Seconds 10
        if ($p.HasExited) { throw "motcua-desktop exited with $($p.ExitCode) within 10 s (expected it to keep running)" }
        Stop-Process -Id $p.Id
        $p.WaitForExit()
        Write-Host "motcua-desktop: still running after 10 s, stopped"
    } else {
        throw "the bundle has no motcua-desktop.exe"
    }
} finally {
    Pop-Location
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

$size = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Property Length -Sum)
Write-Host ("`nsmoke test passed`nbundle: {0:N0} MB, {1} files, {2}" -f ($size.Sum / 1MB), $size.Count, $Bundle)

if ($SkipInstaller) { return }

# -- installer ----------------------------------------------------------------------------------------------------
if (-not (Test-Path $Gui)) {
    throw "no motcua-desktop.exe: the installer's shortcuts need it (use -SkipInstaller to build the CLI bundle only)"
}
$InnoDirs = @(
    (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6"),
    (Join-Path $env:ProgramFiles "Inno Setup 6"),
    (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6")
)
$Iscc = $env:ISCC
if (-not $Iscc) {
    $cmd = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($cmd) { $Iscc = $cmd.Source }
}
if (-not $Iscc) {
    $Iscc = $InnoDirs | ForEach-Object { Join-Path $_ "ISCC.exe" } | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) not found: install it from https://jrsoftware.org/isdl.php or set `$env:ISCC" }
$InnoDir = Split-Path $Iscc

if (-not $VietnameseIsl) {
    $candidates = @(
        (Join-Path $PSScriptRoot "windows\Vietnamese.isl"),
        (Join-Path $InnoDir "Languages\Vietnamese.isl"),
        (Join-Path $InnoDir "Languages\Unofficial\Vietnamese.isl")
    )
    $VietnameseIsl = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $VietnameseIsl) {
    # The translation maintained in Inno Setup's own repository. The .iss layers it over Default.isl, so a message
    # it lacks falls back to English instead of breaking the build.
    $VietnameseIsl = Join-Path $Root "build\Vietnamese.isl"
    $url = "https://raw.githubusercontent.com/jrsoftware/issrc/main/Files/Languages/Unofficial/Vietnamese.isl"
    Write-Host "downloading $url"
    Invoke-WebRequest -UseBasicParsing -Uri $url -OutFile $VietnameseIsl
}
$VietnameseIsl = (Resolve-Path $VietnameseIsl).Path
Write-Host "Vietnamese messages: $VietnameseIsl"

Invoke-Native $Iscc /Qp "/DAppVersion=$Version" "/DAppNumericVersion=$NumericVersion" "/DSourceDir=$Bundle" "/DVietnameseIsl=$VietnameseIsl" `
    "/O$(Join-Path $Root 'dist')" installer\windows\motcua.iss
$Setup = Join-Path $Root "dist\MotCuaXa-Setup-$Version.exe"
if (-not (Test-Path $Setup)) { throw "$Setup was not produced" }
Write-Host ("installer: {0} ({1:N0} MB)" -f $Setup, ((Get-Item $Setup).Length / 1MB))
