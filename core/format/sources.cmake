# files of core/format are added here
