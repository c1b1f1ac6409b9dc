# SPDX-License-Identifier: GPL-3.0-or-later
# macOS bundle and DMG through CPack's DragNDrop generator — NOT built or tested here (no macOS machine).
# Needs: Xcode command-line tools with C++20, Qt 6.5+ for macOS, QCA 2.3 with qca-ossl (Homebrew's qca
# formula builds it), QtKeychain (Keychain Services backend), OpenSSL 3 (Homebrew), SQLite 3.43+;
# macdeployqt to copy Qt frameworks and plugins (platforms/libqcocoa, tls, QCA's crypto plugins) into the
# bundle; codesign and notarytool with a Developer ID for distribution.
# Use: cmake -DTERN_BUILD_TESTS=OFF ... && cmake --build . && macdeployqt app/tern.app && cpack -G DragNDrop
set_target_properties(tern PROPERTIES
  MACOSX_BUNDLE TRUE
  MACOSX_BUNDLE_GUI_IDENTIFIER org.tern.Tern
  MACOSX_BUNDLE_BUNDLE_NAME Tern
  MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
  MACOSX_BUNDLE_INFO_PLIST ${CMAKE_CURRENT_LIST_DIR}/Info.plist.in)
set(CPACK_GENERATOR "DragNDrop")
set(CPACK_PACKAGE_FILE_NAME "Tern-${PROJECT_VERSION}-macos")
set(CPACK_DMG_VOLUME_NAME "Tern")
