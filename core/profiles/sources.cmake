# files of core/profiles are added here
