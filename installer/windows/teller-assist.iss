; Inno Setup 6 script for Teller Assist (柜面授信助手) on Windows 10/11 x64.
; Built by installer\build_windows.py, which passes AppVersion, AppNumericVersion, SourceDir (the
; PyInstaller folder) and OutputDir. UNTESTED here: see README.md beside this file.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion "0.1.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\build\package\dist\teller-assist"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
AppId={{5B7C2E0A-6F1D-4C1B-9E55-2A9F3C8D7E41}
AppName=柜面授信助手 Teller Assist
AppVersion={#AppVersion}
VersionInfoVersion={#AppNumericVersion}
AppPublisher=Teller Assist maintainers
DefaultDirName={autopf}\TellerAssist
DefaultGroupName=柜面授信助手
DisableProgramGroupPage=yes
; per-machine: one copy for every teller of the desktop, in Program Files, managed by IT
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=teller-assist-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\teller-assist.ico
UninstallDisplayIcon={app}\teller-assist.exe
UninstallDisplayName=柜面授信助手 Teller Assist
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
; an upgrade closes a running copy first (the Restart Manager), then replaces the files
CloseApplications=yes

[Languages]
; Inno Setup ships no Simplified Chinese messages: put the community ChineseSimplified.isl beside this
; script (https://jrsoftware.org/files/istrans/) to have the wizard in Chinese.
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "zh"; MessagesFile: "ChineseSimplified.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; the whole frozen folder; an upgrade replaces it (users' data is elsewhere, see below)
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; the bank's system-wide settings: a commented template, written only where none exists, never removed
Source: "settings.toml"; DestDir: "{commonappdata}\TellerAssist"; Flags: onlyifdoesntexist uninsneveruninstall

[Dirs]
Name: "{commonappdata}\TellerAssist"; Flags: uninsneveruninstall

[Icons]
Name: "{group}\柜面授信助手"; Filename: "{app}\teller-assist.exe"; Comment: "柜面授信助手 Teller Assist"
Name: "{autodesktop}\柜面授信助手"; Filename: "{app}\teller-assist.exe"; Tasks: desktopicon

[Registry]
; teller-assist-cli.exe (the command line: imports, users, config show) on every user's PATH
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
    ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
; only administrators may change the bank's settings: no inherited "Users may write" on the folder
Filename: "{sys}\icacls.exe"; \
    Parameters: """{commonappdata}\TellerAssist"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; \
    Flags: runhidden
Filename: "{app}\teller-assist.exe"; Description: "{cm:LaunchProgram,柜面授信助手}"; Flags: nowait postinstall skipifsilent

; Uninstalling removes the program folder and its menu entries only. Never removed: each user's data
; (%LOCALAPPDATA%\teller-assist\teller-assist: database, backups, logs), each user's settings, and the
; bank's %ProgramData%\TellerAssist\settings.toml.

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Paths: string;
begin
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE,
    'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;
