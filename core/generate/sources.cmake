# files of core/generate are added here
