@echo off
rem crew.cmd: start CREW on Windows from the unpacked archive (no native launcher: Java starts Equinox).
rem   crew.cmd                  open the workbench
rem   crew.cmd COMMAND ...      run a headless command: crew.cmd help
rem Environment: JAVA_HOME (a Java 17 or newer; else java.exe on PATH), CREW_HOME (state and workspace, default
rem %LOCALAPPDATA%\CREW), CREW_VMARGS (extra JVM options). The twin of the crew shell script of the Linux and macOS
rem archives; docs/install.md says what has been run where (this script: not yet on a real Windows).
rem Straight-line code with goto, no parenthesized blocks: a path with ")" in a block would end the block.
setlocal EnableExtensions DisableDelayedExpansion

set "PRODUCT=%~dp0"
set "PRODUCT=%PRODUCT:~0,-1%"
if exist "%PRODUCT%\plugins\" goto product_found
>&2 echo crew: no CREW product beside %~f0: expected a plugins folder there
exit /b 3
:product_found

rem The Java: JAVA_HOME, else java.exe on PATH.
if not defined JAVA_HOME goto java_from_path
set "JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA%" goto java_found
>&2 echo crew: JAVA_HOME is %JAVA_HOME%, but there is no %JAVA%: set JAVA_HOME to a Java 17 or newer, or clear it to use java.exe on PATH
exit /b 3
:java_from_path
set "JAVA="
for %%j in (java.exe) do set "JAVA=%%~$PATH:j"
if defined JAVA goto java_found
set "WHY=no Java found: JAVA_HOME is not set and there is no java.exe on PATH"
goto no_java
:java_found

rem Its major version from "java -fullversion": openjdk full version "17.0.13+11" is 17, "1.8.0_412-b08" is 8.
set "JV1="
set "JV2="
for /f tokens^=2^,3^ delims^=.-_+^" %%a in ('""%JAVA%" -fullversion 2^>^&1"') do set "JV1=%%a" & set "JV2=%%b"
if "%JV1%"=="1" set "JV1=%JV2%"
set "WHY=%JAVA% gave no Java version"
if not defined JV1 goto no_java
set "JMAJOR=0"
set /a JMAJOR=JV1 2>nul
set "WHY=%JAVA% is Java %JMAJOR%"
if %JMAJOR% LSS 17 goto no_java

rem CREW's home: %LOCALAPPDATA%\CREW unless CREW_HOME is set (the Java side reads CREW_HOME too).
if defined CREW_HOME goto home_set
set "CREW_HOME=%LOCALAPPDATA%\CREW"
if not defined LOCALAPPDATA set "CREW_HOME=%USERPROFILE%\AppData\Local\CREW"
:home_set
if not exist "%CREW_HOME%\" mkdir "%CREW_HOME%"

set "LAUNCHER="
for %%f in ("%PRODUCT%\plugins\org.eclipse.equinox.launcher_*.jar") do set "LAUNCHER=%%~ff"
if defined LAUNCHER goto launcher_found
>&2 echo crew: the product at %PRODUCT% has no Equinox launcher: plugins\org.eclipse.equinox.launcher_*.jar
exit /b 3
:launcher_found
set "EXAMPLES="
for /d %%d in ("%PRODUCT%\plugins\crew.examples_*") do set "EXAMPLES=%%~fd\workspace"
rem This user's configuration areas cascade to the product's (which may be read-only, under Program Files), one
rem per product build: named after the crew.cli bundle, whose version changes with every build.
set "BUILD=unknown"
for %%f in ("%PRODUCT%\plugins\crew.cli_*.jar") do set "BUILD=%%~nf"
set "SHARED=-Dosgi.sharedConfiguration.area=%PRODUCT%\configuration"

if not "%~1"=="" goto headless
rem The workbench, in its own window (javaw.exe has no console); the same JVM options as the crew script.
set "JAVAW=%JAVA:java.exe=javaw.exe%"
if not exist "%JAVAW%" set "JAVAW=%JAVA%"
start "CREW" "%JAVAW%" -Dosgi.requiredJavaVersion=17 -Xms64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "-Dcrew.examples=%EXAMPLES%" "%SHARED%" -Dosgi.configuration.cascaded=true %CREW_VMARGS% -jar "%LAUNCHER%" -configuration "%CREW_HOME%\workbench-configuration-%BUILD%" -data "%CREW_HOME%\workspace"
exit /b 0

:headless
rem The fast path of the crew script (docs/startup.md), here for --version only (the agent's status commands need
rem its Unix socket): crew.agent's PlainClient answers without the framework, on the class path of the jars of
rem PlainClient.BUNDLES; exit 75 is "not answered", and the command runs in the framework below. CREW_FAST=0: never.
rem Not run on Windows yet, like the rest of this script.
if "%CREW_FAST%"=="0" goto framework
if not "%~1"=="--version" goto framework
set "FASTCP="
set "FASTMISSING="
for %%b in (crew.agent crew.agent.api crew.cli crew.tunnel crew.enforce crew.model com.google.gson) do call :fast_jar %%b
if defined FASTMISSING goto framework
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr "-Dcrew.bundles=%PRODUCT%\configuration\org.eclipse.equinox.simpleconfigurator\bundles.info" %CREW_VMARGS% -cp "%FASTCP:~1%" crew.agent.internal.PlainClient %*
if not "%ERRORLEVEL%"=="75" exit /b %ERRORLEVEL%
:framework
rem The headless configuration the build made (no workbench bundles) when there is one; C1 only and the serial
rem collector except for the long-running and measuring commands, as the crew script does (no class data archive here).
set "CLICONFIG=cli"
if exist "%PRODUCT%\configuration-headless\config.ini" set "CLICONFIG=headless"
if "%CLICONFIG%"=="headless" set "SHARED=-Dosgi.sharedConfiguration.area=%PRODUCT%\configuration-headless"
set "JIT=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
if "%~1"=="agent" set "JIT="
if "%~1"=="enforce" set "JIT="
if "%~1"=="bench" set "JIT="
:run_headless
"%JAVA%" -Dosgi.requiredJavaVersion=17 -Djava.awt.headless=true %JIT% -Xlog:disable -Xlog:all=warning:stderr "-Dcrew.cwd=%CD%" "-Dcrew.examples=%EXAMPLES%" "%SHARED%" -Dosgi.configuration.cascaded=true %CREW_VMARGS% -jar "%LAUNCHER%" -configuration "%CREW_HOME%\%CLICONFIG%-configuration-%BUILD%" -data "%CREW_HOME%\workspace" -application crew.cli.app %*
exit /b %ERRORLEVEL%

:fast_jar
rem the jar of bundle %1 appended to FASTCP (the last of its versions in plugins\), or FASTMISSING set
set "FASTJAR="
for %%f in ("%PRODUCT%\plugins\%1_*.jar") do set "FASTJAR=%%~ff"
if not defined FASTJAR set "FASTMISSING=1"
set "FASTCP=%FASTCP%;%FASTJAR%"
exit /b 0

:no_java
>&2 echo crew: %WHY%: CREW needs a Java 17 or newer.
>&2 echo   - set JAVA_HOME to its folder, or put its bin folder on PATH;
>&2 echo   - install a JDK 17 or newer, for example Eclipse Temurin.
exit /b 3
