# files of core/kafka are added here
