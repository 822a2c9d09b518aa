; Inno Setup script for Một Cửa Xã: a per-user installer of the PyInstaller folder bundle dist\motcua\.
;
; Build with installer\build-windows.ps1, which passes the version from pyproject.toml and the paths:
;   iscc /DAppVersion=0.1.0 /DAppNumericVersion=0.1.0 /DSourceDir=...\dist\motcua /DVietnameseIsl=...\Vietnamese.isl
;        /O...\dist installer\windows\motcua.iss
; Needs Inno Setup 6.3 or later (x64compatible). Saved as UTF-8 with a BOM so the compiler reads the Vietnamese text
; as UTF-8.
;
; Why per user (no admin rights): commune officials sign in as ordinary users and there is no IT staff to type an
; administrator password, neither for the first install nor for each upgrade. The program goes to
; %LOCALAPPDATA%\Programs\MotCuaXa; the data stays where the program keeps it, %LOCALAPPDATA%\motcua.

#ifndef AppVersion
  #error Pass /DAppVersion=<version from pyproject.toml> (installer\build-windows.ps1 does)
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion AppVersion
#endif
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\..\dist\motcua"
#endif
#ifndef VietnameseIsl
  #error Pass /DVietnameseIsl=<path of Inno Setup's Vietnamese.isl> (installer\build-windows.ps1 finds or fetches it)
#endif

#define AppName "Một Cửa Xã"
#define AppExe "motcua-desktop.exe"
#define AppIcon AddBackslash(SourcePath) + "..\..\resources\icons\motcua.ico"

[Setup]
; The AppId ties every future version to this one: upgrades install over it and Windows lists one program.
; Never change it.
AppId={{6F3E1C52-9B7A-4D2E-8C1F-5A0D7B9E4C31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
; {autopf} is %LOCALAPPDATA%\Programs for a per-user install. An ASCII folder name: some old tools and antivirus
; exclusion lists still mangle Vietnamese letters in paths.
DefaultDirName={autopf}\MotCuaXa
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
; PySide6/Qt 6 ship for 64-bit Windows 10 1809 and later only: refuse older systems with a clear message at the start
; rather than install a program that cannot start.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
; Vietnamese is preselected in the language dialog; English is one click away (support staff, donors' auditors).
LanguageDetectionMethod=none
ShowLanguageDialog=yes
WizardStyle=modern
OutputBaseFilename=MotCuaXa-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
; An upgrade while the desk app is open: Windows' Restart Manager asks it to close (Qt saves and closes cleanly)
; instead of failing on files in use. It is not restarted: the user opens it when ready.
CloseApplications=yes
RestartApplications=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
; A log in %TEMP% (Setup Log *.txt) for support staff when an install goes wrong.
SetupLogging=yes
#if FileExists(AppIcon)
SetupIconFile={#AppIcon}
#endif

[Languages]
; Default.isl first, then the translation over it: a message the translation lacks (it trails Inno Setup's releases)
; shows in English instead of stopping the build.
Name: "vi"; MessagesFile: "compiler:Default.isl,{#VietnameseIsl}"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
vi.DesktopIcon=Tạo biểu tượng trên màn hình
vi.RemoveDataTitle=Gỡ cài đặt Một Cửa Xã
vi.RemoveDataText=Phần mềm sẽ được gỡ khỏi máy. Dữ liệu hồ sơ, tệp đính kèm và các bản sao lưu nằm trong thư mục:%n%n%1%n%nMặc định dữ liệu được GIỮ LẠI để cài lại hoặc cài bản mới vẫn dùng tiếp được.
vi.RemoveDataCheck=Xoá luôn toàn bộ dữ liệu hồ sơ trên máy này (không thể khôi phục)
vi.RemoveDataConfirm=Toàn bộ hồ sơ, tệp đính kèm và bản sao lưu trong%n%1%nsẽ bị xoá vĩnh viễn.%n%nBạn đã chép bản sao lưu ra USB hoặc đồng bộ lên tỉnh chưa? Chọn «Có» chỉ khi chắc chắn.
vi.ButtonContinue=Tiếp tục
vi.ButtonCancel=Huỷ
en.DesktopIcon=Create a desktop shortcut
en.RemoveDataTitle=Uninstall Một Cửa Xã
en.RemoveDataText=The program will be removed. Dossiers, attachments and backups are in the folder:%n%n%1%n%nBy default the data is KEPT, so a reinstall or a newer version carries on with it.
en.RemoveDataCheck=Also delete all dossier data on this computer (cannot be undone)
en.RemoveDataConfirm=All dossiers, attachments and backups in%n%1%nwill be deleted for good.%n%nHave you copied a backup to a USB stick or synced with the province? Answer Yes only if you are sure.
en.ButtonContinue=Continue
en.ButtonCancel=Cancel

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the bundle's library folder as a whole: files a newer build no longer ships (renamed modules,
; Qt plugins) must not linger and be picked up. The user's data is not under {app}.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  RemoveData: Boolean;

// Where the program keeps its data: platformdirs.user_data_dir("motcua", appauthor=False) on Windows
// (motcua/paths.py). A desk that moved its data with MOTCUA_DATA_DIR is never touched by the uninstaller.
function DataDir: String;
begin
  Result := ExpandConstant('{localappdata}\motcua');
end;

// Ask before uninstalling whether to delete the data too, with the box unticked: the data is a commune's legal
// record, and the common reason to uninstall is to reinstall.
function InitializeUninstall: Boolean;
var
  Form: TSetupForm;
  Note: TNewStaticText;
  RemoveBox: TNewCheckBox;
  ContinueButton, CancelButton: TNewButton;
begin
  Result := True;
  RemoveData := False;
  // A silent uninstall (scripts, upgrades by support staff) always keeps the data.
  if UninstallSilent or not DirExists(DataDir) then
    Exit;

  Form := CreateCustomForm(ScaleX(480), ScaleY(230), False, False);
  try
    Form.Caption := CustomMessage('RemoveDataTitle');
    Form.Position := poScreenCenter;

    Note := TNewStaticText.Create(Form);
    Note.Parent := Form;
    Note.AutoSize := False;
    Note.WordWrap := True;
    Note.SetBounds(ScaleX(16), ScaleY(16), Form.ClientWidth - ScaleX(32), ScaleY(110));
    Note.Caption := FmtMessage(CustomMessage('RemoveDataText'), [DataDir]);

    RemoveBox := TNewCheckBox.Create(Form);
    RemoveBox.Parent := Form;
    RemoveBox.SetBounds(ScaleX(16), ScaleY(136), Form.ClientWidth - ScaleX(32), ScaleY(40));
    RemoveBox.Caption := CustomMessage('RemoveDataCheck');
    RemoveBox.Checked := False;

    ContinueButton := TNewButton.Create(Form);
    ContinueButton.Parent := Form;
    ContinueButton.SetBounds(Form.ClientWidth - ScaleX(16 + 100 + 8 + 100), Form.ClientHeight - ScaleY(16 + 25),
      ScaleX(100), ScaleY(25));
    ContinueButton.Caption := CustomMessage('ButtonContinue');
    ContinueButton.ModalResult := mrOk;
    ContinueButton.Default := True;

    CancelButton := TNewButton.Create(Form);
    CancelButton.Parent := Form;
    CancelButton.SetBounds(Form.ClientWidth - ScaleX(16 + 100), Form.ClientHeight - ScaleY(16 + 25),
      ScaleX(100), ScaleY(25));
    CancelButton.Caption := CustomMessage('ButtonCancel');
    CancelButton.ModalResult := mrCancel;
    CancelButton.Cancel := True;

    Form.ActiveControl := ContinueButton;
    if Form.ShowModal <> mrOk then
    begin
      Result := False;  // the user closed or cancelled: do not uninstall at all
      Exit;
    end;
    RemoveData := RemoveBox.Checked;
  finally
    Form.Free;
  end;

  // Deleting a commune's records deserves a second question, defaulting to No.
  if RemoveData then
    RemoveData := MsgBox(FmtMessage(CustomMessage('RemoveDataConfirm'), [DataDir]),
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  // After the program's files are gone, so nothing of it still holds the database open.
  if (CurUninstallStep = usPostUninstall) and RemoveData then
  begin
    if not DelTree(DataDir, True, True, True) then
      Log('Could not delete all of ' + DataDir);
  end;
end;
