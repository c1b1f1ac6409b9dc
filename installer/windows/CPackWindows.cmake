# SPDX-License-Identifier: GPL-3.0-or-later
# Windows installer through CPack's NSIS generator — NOT built or tested here (our machines are Debian).
# Needs: MSVC 2022 or MinGW-w64 with C++20; Qt 6.5+ (Qt online installer or vcpkg), QCA 2.3 built against it
# with the qca-ossl plugin, QtKeychain (Windows Credential Store backend), OpenSSL 3, SQLite 3.43+;
# NSIS 3 on PATH; windeployqt to copy Qt's DLLs and plugins (platforms/qwindows, tls/qschannelbackend or
# qopensslbackend, the QCA crypto plugins) next to tern.exe before packaging.
# Use: cmake -DTERN_BUILD_TESTS=OFF ... && cmake --build . && windeployqt bin/tern.exe && cpack -G NSIS
set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_PACKAGE_FILE_NAME "Tern-${PROJECT_VERSION}-win64")
set(CPACK_NSIS_PACKAGE_NAME "Tern")
set(CPACK_NSIS_DISPLAY_NAME "Tern ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON "${CMAKE_SOURCE_DIR}/resources/icons/org.tern.Tern.ico") # to be rendered from the SVG
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\tern.exe")
set(CPACK_NSIS_CREATE_ICONS_EXTRA "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\Tern.lnk' '$INSTDIR\\\\bin\\\\tern.exe'")
# mailto: handler registration, so "Tern" appears under Default apps > Email.
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "
  WriteRegStr HKLM 'Software\\\\Clients\\\\Mail\\\\Tern' '' 'Tern'
  WriteRegStr HKLM 'Software\\\\Clients\\\\Mail\\\\Tern\\\\Protocols\\\\mailto\\\\shell\\\\open\\\\command' '' '\"$INSTDIR\\\\bin\\\\tern.exe\" \"%1\"'
")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "DeleteRegKey HKLM 'Software\\\\Clients\\\\Mail\\\\Tern'")
